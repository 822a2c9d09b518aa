"""motcua.forms"""
