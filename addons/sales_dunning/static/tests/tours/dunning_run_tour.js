/** The credit controller's round: Sales > Collections > Dunning Runs, New, Compute, Confirm, Print Letters. */
import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("sales_dunning_run", {
    steps: () => [
        ...stepUtils.goToAppSteps("sale.sale_menu_root", "Open the Sales app"),
        {
            content: "Collections",
            trigger: ".o_main_navbar button[data-menu-xmlid='sales_dunning.sales_collections_menu']",
            run: "click",
        },
        {
            content: "Dunning Runs",
            trigger: ".dropdown-item[data-menu-xmlid='sales_dunning.sales_dunning_run_menu']",
            run: "click",
        },
        { content: "The dunning runs", trigger: ".o_list_view th[data-name='letter_count']" },
        { content: "A new dunning run, dated today", trigger: ".o_list_button_add", run: "click" },
        { content: "Find what is due", trigger: ".o_form_view button[name='action_compute']", run: "click" },
        {
            content: "The overdue customer gets a letter",
            trigger: ".o_field_widget[name='letter_ids'] .o_data_row:contains('Tour Debtor')",
        },
        { content: "Confirm the run", trigger: ".o_form_view button[name='action_done']", run: "click" },
        { content: "Yes, send them", trigger: ".modal-footer .btn-primary", run: "click" },
        {
            content: "The run is done",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Done')",
        },
        { content: "Print the letters", trigger: ".o_form_view button[name='action_print']", run: "click" },
        {
            content: "The letters print without an error",
            trigger: ".o_form_view:not(:has(.o_error_dialog)) .o_statusbar_status",
        },
    ],
});
