"""stick's Python helper, run by the toolchain's own interpreter: one
process per output reads a request and writes a result (helper.py)."""
