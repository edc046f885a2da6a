"""Sourced map of North Korean movements between North Korea, Russia and China.

Pipeline: load -> validate -> resolve -> geometry -> layers -> site.
"""

__version__ = "0.1.0"
