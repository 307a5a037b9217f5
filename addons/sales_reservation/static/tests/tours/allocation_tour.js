/** The reservation manager serves a short product from the shortage list and reads who got what. */
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("sales_reservation_allocate", {
    steps: () => [
        {
            content: "Select the short product",
            trigger: ".o_data_row:contains('Cold-rolled coil') .o_list_record_selector input",
            run: "click",
        },
        { content: "Allocate its stock", trigger: "button[name='action_allocate']", run: "click" },
        {
            content: "The run's log: the key customer is served first",
            trigger: ".o_form_view .o_field_widget[name='line_ids'] .o_data_row:contains('Key Co')",
        },
    ],
});
