/** The reservation manager opens Sales > Allocation > Shortages, serves a short product and reads who got what. */
import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("sales_reservation_allocate", {
    steps: () => [
        ...stepUtils.goToAppSteps("sale.sale_menu_root", "Open the Sales app"),
        {
            content: "Allocation",
            trigger: ".o_main_navbar button[data-menu-xmlid='sales_reservation.sales_allocation_menu']",
            run: "click",
        },
        {
            content: "Shortages",
            trigger: ".dropdown-item[data-menu-xmlid='sales_reservation.sales_shortage_menu']",
            run: "click",
        },
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
