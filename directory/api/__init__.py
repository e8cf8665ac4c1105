"""REST APIs of the directory: `partner` (partners' systems keep their offers current)."""
