"""Live tools: they read a running authentik and Harbor, never write to them. `http` (the
bounded client), `reading` (what a pair holds, read once), `doctor` (checks of a reading),
`adopt` (the stack config derived from a reading), `verify` (a login's first steps)."""
