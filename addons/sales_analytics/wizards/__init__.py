from . import sales_trend_report
from . import sales_trend_line
from . import sales_analysis_export
