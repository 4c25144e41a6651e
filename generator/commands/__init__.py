"""The command line: `playbook validate`, `render`, `export`, `diff`, `new`, `codeowners`, and how
they report (text, JSON, GitHub annotations)."""
