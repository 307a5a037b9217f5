from . import sales_shortage
