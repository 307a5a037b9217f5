/** The sales manager's go-live: Sales > Go-Live Data > Go-Live Open Orders, load an imported row. */
import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("sales_golive_load_orders", {
    steps: () => [
        ...stepUtils.goToAppSteps("sale.sale_menu_root", "Open the Sales app"),
        {
            content: "Go-Live Data",
            trigger: ".o_main_navbar button[data-menu-xmlid='sales_credit.sales_golive_menu']",
            run: "click",
        },
        {
            content: "Go-Live Open Orders",
            trigger: ".dropdown-item[data-menu-xmlid='sales_credit.sales_golive_order_line_menu']",
            run: "click",
        },
        {
            content: "The imported row waits, partly delivered",
            trigger: ".o_list_view .o_data_row:contains('TOUR-OLD-7'):contains('Partly Delivered')",
        },
        {
            content: "Select it",
            trigger: ".o_data_row:contains('TOUR-OLD-7') .o_list_record_selector input",
            run: "click",
        },
        {
            content: "Load the selected row",
            trigger: ".o_control_panel button[name='action_load']",
            run: "click",
        },
        {
            content: "Confirm",
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The user is told what was loaded",
            trigger: ".o_notification:contains('Orders loaded and confirmed: 1,')",
        },
        {
            content: "Nothing is left to load",
            trigger: ".o_list_view:not(:has(.o_data_row:contains('TOUR-OLD-7')))",
        },
    ],
});
