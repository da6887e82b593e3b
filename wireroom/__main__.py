from wireroom.cli import main

main()
