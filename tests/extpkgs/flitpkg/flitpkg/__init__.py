def hello():
    return "hello from flit"
