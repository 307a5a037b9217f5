/** The salesperson's morning: Sales > Orders > Early Warnings, his late order, opened from the list. */
import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("sales_warning", {
    steps: () => [
        ...stepUtils.goToAppSteps("sale.sale_menu_root", "Open the Sales app"),
        {
            content: "Orders",
            trigger: ".o_main_navbar button[data-menu-xmlid='sale.sale_order_menu']",
            run: "click",
        },
        {
            content: "Early Warnings",
            trigger: ".dropdown-item[data-menu-xmlid='sales_credit.sales_warning_menu']",
            run: "click",
        },
        {
            content: "His late order is there, with why",
            trigger:
                ".o_list_view .o_data_row:contains('Late Order'):contains('Tour Late Pumps'):contains('not fully delivered')",
        },
        {
            content: "Open the order from the warning",
            trigger: ".o_list_view .o_data_row:contains('Tour Late Pumps') button[name='action_open_record']",
            run: "click",
        },
        {
            content: "The order's form, with its to-do",
            trigger: ".o_form_view .o_field_widget[name='partner_id']:contains('Tour Late Pumps')",
        },
    ],
});
