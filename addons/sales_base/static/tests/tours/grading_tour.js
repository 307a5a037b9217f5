/** The sales manager grades from Sales > Configuration > Customers > ABC Grading, then opens a customer from
 * Sales > Orders > Customers and accepts the tier its grade suggests. */
import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("sales_base_grading", {
    steps: () => [
        ...stepUtils.goToAppSteps("sale.sale_menu_root", "Open the Sales app"),
        {
            content: "Configuration",
            trigger: ".o_main_navbar button[data-menu-xmlid='sale.menu_sale_config']",
            run: "click",
        },
        {
            content: "ABC Grading: Grade Now",
            trigger: ".dropdown-item[data-menu-xmlid='sales_base.sales_grading_menu']",
            run: "click",
        },
        {
            content: "The grading tells what came out",
            trigger: ".o_notification:contains('ABC grading done'):contains('A 1')",
        },
        {
            content: "Orders",
            trigger: ".o_main_navbar button[data-menu-xmlid='sale.sale_order_menu']",
            run: "click",
        },
        {
            content: "Customers",
            trigger: ".dropdown-item[data-menu-xmlid='sale.res_partner_menu']",
            run: "click",
        },
        { content: "Search the customer", trigger: ".o_searchview_input", run: "edit Grading Tour Co" },
        { content: "Search", trigger: ".o_searchview_input", run: "press Enter" },
        {
            content: "Open the customer",
            trigger: ".o_kanban_record:contains('Grading Tour Co')",
            run: "click",
        },
        { content: "Sales & Purchase", trigger: "a[name='sales_purchases']", run: "click" },
        {
            content: "Graded A, the Key tier suggested",
            trigger: ".o_field_widget[name='sales_grade']:contains('A')",
        },
        {
            content: "Accept the suggested tier",
            trigger: ".o_field_widget[name='sales_grade_tier_id']:contains('Key') ~ button[name='action_accept_suggested_tier']",
            run: "click",
        },
        {
            content: "The customer is in the tier; nothing left to accept",
            trigger: ".o_form_view:not(:has(button[name='action_accept_suggested_tier'])) .o_field_widget[name='sales_grade']",
        },
    ],
});
