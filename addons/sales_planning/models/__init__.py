from . import (
    res_company,
    res_config_settings,
    sales_forecast,
    sales_forecast_line,
    sales_grading,
    sales_history,
    sales_plan,
    sales_plan_dimension,
    sales_plan_line,
    sales_plan_line_grade,
    sales_plan_revision,
    sales_plan_season,
)
