from setuptools import setup
setup(name="needs", version="1.0", packages=["needs"])
