from grantstats.commands.cli import main

raise SystemExit(main())
