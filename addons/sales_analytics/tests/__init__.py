from . import (
    test_analysis_totals,
    test_order_execution,
    test_sales_analysis,
    test_several_companies,
    test_time_zone,
    test_tours,
    test_trend_and_export,
)
