/** The credit controller's dunning round: a new run, Compute, Confirm, Print Letters. */
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("sales_dunning_run", {
    steps: () => [
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
