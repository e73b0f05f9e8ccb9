"""The window's shell, in parts: the start-up (opening the database, the watches), the operator's session
(login, lock, switch), the workspaces hosted for the operator, the data menu's jobs, the window's place
and its menus. ``main_window.py`` assembles them; none of them knows the steps of a flow."""
