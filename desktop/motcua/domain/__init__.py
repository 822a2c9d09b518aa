"""motcua.domain"""
