"""motcua.sync"""
