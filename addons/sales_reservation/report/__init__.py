from . import sales_shortage, sales_shortage_line
