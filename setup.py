"""The package mapping, the one part of the build that pyproject.toml cannot state by itself.

The four app folders stay at the top of the repository but are installed as `lotse.network`,
`lotse.directory`, `lotse.handover` and `lotse.search` (app labels `lotse_…`), so that none of
their modules or labels can collide with a host site's own (every `wagtail start` site has a
top-level `search` app). Subpackages are found, so a new one cannot be left out of the wheel;
`pip install -e .` maps the same names onto the folders of the checkout.
"""

from setuptools import find_packages, setup

APPS = ("network", "directory", "handover", "search")

setup(
    package_dir={"lotse": "lotse", **{f"lotse.{app}": app for app in APPS}},
    packages=[
        "lotse",
        *(f"lotse.{app}" for app in APPS),
        *(f"lotse.{app}.{sub}" for app in APPS for sub in find_packages(app)),
    ],
)
