from . import sales_plan_completion_report
