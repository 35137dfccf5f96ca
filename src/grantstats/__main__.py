from grantstats.cli import main

raise SystemExit(main())
