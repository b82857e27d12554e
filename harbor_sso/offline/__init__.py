"""Offline tools: they read files and run the program under the mock engine, never a
server. `plan` (a reviewer's preview), `stackfile` (stack files as the engine reads them),
`stack_checks` (what is wrong across a project's stacks), `mocks` (the mock engine)."""
