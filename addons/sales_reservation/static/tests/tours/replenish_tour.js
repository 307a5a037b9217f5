/** The reservation manager opens Sales > Allocation > Shortages, replenishes a short product and lands on Odoo's
 * replenishment report with its rule. */
import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("sales_reservation_replenish", {
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
            trigger: ".o_data_row:contains('Replenish Tour Coil') .o_list_record_selector input",
            run: "click",
        },
        { content: "Replenish it", trigger: "button[name='action_replenish']", run: "click" },
        {
            content: "The message says what was ordered",
            trigger: ".o_notification:contains('Ordered: Replenish Tour Coil')",
        },
        {
            content: "Odoo's replenishment report shows the product's rule",
            trigger: ".o_list_view .o_data_row:contains('Replenish Tour Coil')",
        },
    ],
});
