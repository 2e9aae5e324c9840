"""What the benchmark scripts share: building fmsolve for them."""
import os
import subprocess

SRC = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def build(build_dir):
    """Configures (once) and builds build_dir, by default build-bench/ in the source tree; returns it."""
    if build_dir is None:
        build_dir = os.path.join(SRC, "build-bench")
        if not os.path.isdir(os.path.join(build_dir, "meson-info")):
            subprocess.run(["meson", "setup", build_dir, SRC], check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["ninja", "-C", build_dir], check=True, stdout=subprocess.DEVNULL)
    return build_dir
