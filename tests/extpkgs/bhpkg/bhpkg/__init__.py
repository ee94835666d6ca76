from ._gen import made_by
