"""motcua.services"""
