"""Exit with one clear line when the port that `make serve` wants is taken."""

import socket
import sys


def main() -> int:
    """Try to bind the port on 127.0.0.1; say what to do if that fails."""
    port = int(sys.argv[1])
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            print(
                f"Port {port} on 127.0.0.1 is already in use: stop the other server "
                f"or pick another port, e.g. `make serve PORT={port + 1}`.",
                file=sys.stderr,
            )
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
