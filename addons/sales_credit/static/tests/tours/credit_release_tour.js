/** The credit manager's round: Sales > Credit Control > Credit Holds, decide on a held order, release it. */
import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("sales_credit_release", {
    steps: () => [
        ...stepUtils.goToAppSteps("sale.sale_menu_root", "Open the Sales app"),
        {
            content: "Credit Control",
            trigger: ".o_main_navbar button[data-menu-xmlid='sales_credit.sales_credit_menu']",
            run: "click",
        },
        {
            content: "Credit Holds",
            trigger: ".dropdown-item[data-menu-xmlid='sales_credit.sales_credit_hold_menu']",
            run: "click",
        },
        {
            content: "The held order of the customer is in the pending holds",
            trigger: ".o_list_view .o_data_row:contains('Tour Steel Trading') button[name='action_open_decision']",
            run: "click",
        },
        {
            content: "Say why the order may go",
            trigger: ".modal div[name='note'] textarea, .modal div[name='note'] input",
            run: "edit Paid in advance by wire",
        },
        {
            content: "Release and confirm it",
            trigger: ".modal button[name='action_release']:contains('Release and Confirm')",
            run: "click",
        },
        {
            content: "The hold leaves the pending list",
            trigger: ".o_list_view:not(:has(.o_data_row:contains('Tour Steel Trading')))",
        },
    ],
});
