"""The workspaces the window hosts: the counter, the approvals queue, today's walk-ins."""
