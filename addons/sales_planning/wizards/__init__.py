from . import sales_plan_revise
