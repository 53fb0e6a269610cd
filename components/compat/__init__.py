"""What keeps stacks made by earlier releases working, one module per path. Each module says what it keeps
working, since when, and what lets it go; docs/ lists them for operators. Nothing else in the program knows an
earlier layout: the modules here translate it to today's, at the one place it is met."""
