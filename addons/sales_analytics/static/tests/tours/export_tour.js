/** The sales manager opens Sales > Reporting > Export to Excel: the year's analysis, with every order line. */
import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("sales_analytics_export", {
    steps: () => [
        ...stepUtils.goToAppSteps("sale.sale_menu_root", "Open the Sales app"),
        {
            content: "Reporting",
            trigger: ".o_main_navbar button[data-menu-xmlid='sale.menu_sale_report']",
            run: "click",
        },
        {
            content: "Export to Excel",
            trigger: ".dropdown-item[data-menu-xmlid='sales_analytics.sales_analysis_export_menu']",
            run: "click",
        },
        {
            content: "Every order line on a second sheet",
            trigger: ".modal .o_field_widget[name='include_lines'] input",
            run: "click",
        },
        { content: "Export", trigger: ".modal button[name='action_export']", run: "click" },
        {
            content: "The workbook is made and downloads (the buttons come back when the server is done)",
            trigger: ".modal button[name='action_export']:enabled",
        },
    ],
});
