/** A plain salesperson opens Sales > Allocation > Designated Reservations, asks for more than a quotation may hold (refused on
 * saving, nothing kept), then for what the pre-booking limits allow, and reserves it. */
import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("sales_reservation_prebook", {
    steps: () => [
        ...stepUtils.goToAppSteps("sale.sale_menu_root", "Open the Sales app"),
        {
            content: "Allocation",
            trigger: ".o_main_navbar button[data-menu-xmlid='sales_reservation.sales_allocation_menu']",
            run: "click",
        },
        {
            content: "Designated Reservations",
            trigger: ".dropdown-item[data-menu-xmlid='sales_reservation.sales_reservation_menu']",
            run: "click",
        },
        { content: "New", trigger: ".o_list_button_add", run: "click" },
        {
            content: "Customer",
            trigger: ".o_field_widget[name='partner_id'] input",
            run: "edit Key Co",
        },
        { content: "Pick the customer", trigger: ".ui-autocomplete a:contains('Key Co')", run: "click" },
        {
            content: "Product",
            trigger: ".o_field_widget[name='product_id'] input",
            run: "edit Tour Test Coil",
        },
        { content: "Pick the product", trigger: ".ui-autocomplete a:contains('Tour Test Coil')", run: "click" },
        { content: "More than a quotation may hold", trigger: ".o_field_widget[name='quantity'] input", run: "edit 11" },
        { content: "Reserve", trigger: "button[name='action_reserve']", run: "click" },
        {
            content: "Refused on saving, with the figures",
            trigger: ".modal:contains('may hold at most 50 % of the 10.00 Units on hand of Tour Test Coil')",
        },
        { content: "Close the message", trigger: ".modal .modal-footer .btn-primary", run: "click" },
        {
            content: "Nothing was saved: the reservation is still a new one, not a numbered draft",
            trigger: ".o_breadcrumb .active:contains('New')",
        },
        { content: "Within the limit", trigger: ".o_field_widget[name='quantity'] input", run: "edit 4" },
        { content: "Reserve again", trigger: "button[name='action_reserve']", run: "click" },
        {
            content: "Held",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('Reserved')",
        },
    ],
});
