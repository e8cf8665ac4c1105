"""A progress line for long management commands (the apps share it)."""


class Progress:
    """One progress line; rewritten in place on a terminal, printed every quarter otherwise."""

    def __init__(self, stdout, label, total):
        self.stdout, self.label, self.total, self.done = stdout, label, total, 0
        self.tty = stdout.isatty()
        self.next_mark = 0

    def step(self, count=1):
        self.done += count
        finished = self.done >= self.total
        if self.tty:
            width = 24
            filled = width * self.done // max(self.total, 1)
            bar = "#" * filled + "-" * (width - filled)
            self.stdout.write(
                f"\r{self.label}: [{bar}] {self.done}/{self.total}",
                ending="\n" if finished else "",
            )
            self.stdout.flush()
        elif finished or self.done >= self.next_mark:
            self.stdout.write(f"{self.label}: {self.done}/{self.total}")
            self.next_mark = self.done + max(self.total // 4, 1)
