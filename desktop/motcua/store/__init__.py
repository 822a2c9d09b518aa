"""motcua.store"""
