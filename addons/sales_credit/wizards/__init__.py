from . import sales_order_hold_decision
