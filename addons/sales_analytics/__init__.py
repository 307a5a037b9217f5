from . import models, report, wizards


def uninstall_hook(env):
    """The analysis's totals are tables and triggers of their own, which Odoo does not know to remove."""
    env["sales.analysis.total"]._drop()
