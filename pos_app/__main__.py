from pos_app.cli import main

main()
