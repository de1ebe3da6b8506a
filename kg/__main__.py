from kg.cli import main

"""Run the command line as ``python -m kg``."""


main(prog_name="kg")
