/** The sales manager opens Sales > Reporting > Trend and Comparison: each field its own label, then the result as a
 * list, a pivot and a graph. */
import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("sales_analytics_trend", {
    steps: () => [
        ...stepUtils.goToAppSteps("sale.sale_menu_root", "Open the Sales app"),
        {
            content: "Reporting",
            trigger: ".o_main_navbar button[data-menu-xmlid='sale.menu_sale_report']",
            run: "click",
        },
        {
            content: "Trend and Comparison",
            trigger: ".dropdown-item[data-menu-xmlid='sales_analytics.sales_trend_report_menu']",
            run: "click",
        },
        {
            content: "The lines' unit is labelled apart from the dates",
            trigger: ".modal .o_form_view label:contains('Period Unit')",
        },
        {
            content: "The dates are labelled as a range",
            trigger: ".modal .o_form_view label:contains('From – To')",
        },
        { content: "Show", trigger: ".modal button[name='action_show']", run: "click" },
        { content: "The trend as a list", trigger: ".o_list_view th[data-name='growth_display']" },
        { content: "Pivot", trigger: ".o_switch_view.o_pivot", run: "click" },
        { content: "The trend as a pivot", trigger: ".o_pivot_view .o_pivot" },
        { content: "Graph", trigger: ".o_switch_view.o_graph", run: "click" },
        { content: "The trend as a graph", trigger: ".o_graph_view .o_graph_renderer" },
    ],
});
