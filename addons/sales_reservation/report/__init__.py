from . import sales_shortage
from . import sales_shortage_line
