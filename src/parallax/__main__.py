from parallax.cli import main

main()
