"""motcua.hub"""
