"""``python -m tausestack.cli``: the same as the ``tausestack`` command."""

from tausestack.cli._app import main

if __name__ == "__main__":
    main()
