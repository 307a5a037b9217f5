/** The credit manager's daily round: open Credit Holds, decide on a held order, release it with a reason. */
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("sales_credit_release", {
    steps: () => [
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
