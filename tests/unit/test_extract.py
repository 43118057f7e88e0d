from parallax.records import Article, Rejection
from parallax.stages.extract import Extractor

BODY = (
    "Officials in the capital said on Friday that the bridge would reopen next month after "
    "repairs costing about 12 million euros, ending months of detours for commuters. "
)
PAGE = f"""<!doctype html><html lang="en"><head><title>Bridge to reopen - City Herald</title>
<meta property="og:site_name" content="City Herald">
<meta property="article:published_time" content="2024-03-05T10:00:00Z">
<meta name="author" content="Jane Doe"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Bridge to reopen</h1><p>{BODY * 3}</p><p>The mayor welcomed the decision, saying
residents had waited long enough for the crossing to be safe again.</p></article>
<footer>Copyright City Herald</footer><script>var tracking = 1;</script></body></html>"""


def make_article(**overrides):
    fields = {"id": "art_0000000000000001", "input": "page.html", "format": "html", "text": ""}
    fields.update(overrides)
    return Article(**fields)


def test_extractor_takes_body_and_metadata_from_html():
    out = Extractor().process(make_article(html=PAGE))
    assert isinstance(out, Article)
    assert out.html is None
    assert out.text.startswith("Officials in the capital")
    assert "The mayor welcomed the decision" in out.text
    assert "tracking" not in out.text and "Home" not in out.text
    assert out.title == "Bridge to reopen"
    assert out.outlet == "City Herald"
    assert out.published == "2024-03-05"
    assert out.authors == ("Jane Doe",)


def test_extractor_keeps_metadata_the_source_already_gave():
    out = Extractor().process(make_article(html=PAGE, title="Given title", published="2024-01-01"))
    assert out.title == "Given title"
    assert out.published == "2024-01-01"


def test_extractor_drops_repeated_headline_but_records_it():
    out = Extractor().process(make_article(html=PAGE))
    assert not out.text.startswith("Bridge to reopen")
    assert [(r.text, r.reason) for r in out.removed] == [("Bridge to reopen", "title")]


def test_extractor_rejects_page_without_text():
    out = Extractor().process(make_article(html="<html><body><script>alert(1)</script></body></html>"))
    assert isinstance(out, Rejection)
    assert out.reason == "empty-text"
    assert "no article text" in out.detail


def test_extractor_passes_plain_text_through():
    article = make_article(format="txt", text="Plain body text.")
    assert Extractor().process(article) is article


def test_extractor_rejects_empty_plain_text():
    out = Extractor().process(make_article(format="txt", text="   \n"))
    assert isinstance(out, Rejection) and out.reason == "empty-text"


def test_extractor_survives_truncated_html():
    out = Extractor().process(make_article(html=PAGE[: PAGE.index("The mayor")]))
    assert isinstance(out, Article)
    assert "Officials in the capital" in out.text


def test_extractor_names_outlet_by_host_when_unknown():
    article = make_article(format="txt", text="Body.", url="https://www.thenational.ae/news/x")
    assert Extractor().process(article).outlet == "thenational.ae"


def test_outlet_from_url_handles_junk():
    from parallax.stages.extract import outlet_from_url

    assert outlet_from_url("not a url") is None
    assert outlet_from_url("") is None
    assert outlet_from_url("http://localhost/x") is None
    assert outlet_from_url("news.example.org") == "news.example.org"
