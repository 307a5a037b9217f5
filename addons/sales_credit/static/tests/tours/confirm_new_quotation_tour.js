/**
 * The salesperson's daily path: Sales > Orders > Quotations, New, a customer, a product line, Confirm.
 * When the order is held or sent to review, he stays on the saved order and reads why on its banner.
 */
import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

/**
 * @param {Object} path
 * @param {string} path.customer the customer's name, picked in the form
 * @param {string} path.product the product's name, picked on the first line
 * @param {string} path.banner the banner that must show: ".alert-danger" (credit hold) or ".alert-warning" (review)
 * @param {string[]} path.texts what the banner says: its explanation and the order's reason
 * @param {string} path.notification what the notification says
 */
function confirmNewQuotationSteps({ customer, product, banner, texts, notification }) {
    return [
        ...stepUtils.goToAppSteps("sale.sale_menu_root", "Open the Sales app"),
        {
            content: "Orders",
            trigger: ".o_main_navbar button[data-menu-xmlid='sale.sale_order_menu']",
            run: "click",
        },
        {
            content: "Quotations",
            trigger: ".dropdown-item[data-menu-xmlid='sale.menu_sale_quotations']",
            run: "click",
        },
        { content: "A new quotation", trigger: ".o_list_view .o_list_button_add", run: "click" },
        {
            content: "Pick the customer",
            trigger: ".o_form_view .o_field_widget[name='partner_id'] input",
            run: `edit ${customer}`,
        },
        { trigger: `ul.ui-autocomplete a:contains('${customer}')`, run: "click" },
        {
            content: "Add a product",
            trigger: ".o_field_widget[name='order_line'] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "Pick the product",
            trigger: `.o_data_row .o_field_widget[name='product_template_id'] input,
                      .o_data_row .o_field_widget[name='product_id'] input`,
            run: `edit ${product}`,
        },
        { trigger: `ul.ui-autocomplete a:contains('${product}')`, run: "click" },
        {
            content: "The line is priced",
            trigger: `.o_data_row .o_field_widget[name='price_unit'] input:value(/[1-9]/)`,
        },
        {
            content: "Confirm, without saving first",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_confirm']",
            run: "click",
        },
        {
            content: "The notification says why the order did not confirm",
            trigger: `.o_notification:contains('${notification}')`,
        },
        ...texts.map((text) => ({
            content: `The banner says: ${text}`,
            trigger: `.o_form_view ${banner}:visible:contains('${text}')`,
        })),
        {
            content: "The saved order's name is in the breadcrumb",
            trigger: ".o_breadcrumb .o_last_breadcrumb_item:contains(/^\\s*S\\d+\\s*$/)",
        },
        {
            content: "and in the title: the user is on the saved order, not on a blank new one",
            trigger: ".o_form_view .oe_title .o_field_widget[name='name']:contains(/^\\s*S\\d+\\s*$/)",
            run() {
                const breadcrumb = document.querySelector(".o_breadcrumb .o_last_breadcrumb_item").textContent;
                if (breadcrumb.trim() !== this.anchor.textContent.trim()) {
                    throw new Error(`The breadcrumb shows ${breadcrumb}, the title ${this.anchor.textContent}`);
                }
                if (!/\/\d+$/.test(window.location.pathname)) {
                    throw new Error(`The URL is not the saved order's: ${window.location.pathname}`);
                }
            },
        },
        {
            content: "The customer is still on it",
            trigger: `.o_form_view .o_field_widget[name='partner_id'] input:value('${customer}')`,
        },
        {
            content: "The order is still a quotation",
            trigger: ".o_statusbar_status button.o_arrow_button_current[data-value='draft']",
        },
    ];
}

registry.category("web_tour.tours").add("sales_credit_confirm_held", {
    steps: () => [
        ...confirmNewQuotationSteps({
            customer: "Tour Over Limit Trading",
            product: "Tour Boiler",
            banner: ".alert-danger",
            texts: ["Credit hold", "waits for a credit manager", "The credit limit of", "is exceeded by"],
            notification: "on credit hold until a credit manager releases it",
        }),
        {
            content: "Ask a credit manager to release the order",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_credit_request_release']",
            run: "click",
        },
        {
            content: "Say why it should go",
            trigger: ".modal div[name='justification'] textarea",
            run: "edit The customer pays in advance tomorrow",
        },
        {
            content: "Send the request",
            trigger: ".modal button[name='action_request']",
            run: "click",
        },
        {
            content: "The notification says the credit managers are asked",
            trigger: ".o_notification:contains('The credit managers are asked to release')",
        },
        {
            content: "The button is gone: the request is made",
            trigger: `.o_form_view .o_statusbar_buttons:not(:has(button[name='action_credit_request_release']))`,
        },
    ],
});

registry.category("web_tour.tours").add("sales_credit_confirm_held_zh", {
    steps: () =>
        confirmNewQuotationSteps({
            customer: "Tour Over Limit Trading",
            product: "Tour Boiler",
            banner: ".alert-danger",
            texts: ["此订单等待信用经理处理", "信用额度", "已超出"],
            notification: "处于信用冻结状态",
        }),
});

registry.category("web_tour.tours").add("sales_credit_confirm_review", {
    steps: () =>
        confirmNewQuotationSteps({
            customer: "Tour Review Trading",
            product: "Tour Furnace",
            banner: ".alert-warning",
            texts: ["To review", "confirmed once these reviews are approved", "Large orders", "is above"],
            notification: "waiting for review",
        }),
});

registry.category("web_tour.tours").add("sales_credit_confirm_review_zh", {
    steps: () =>
        confirmNewQuotationSteps({
            customer: "Tour Review Trading",
            product: "Tour Furnace",
            banner: ".alert-warning",
            texts: ["这些审核获批后，此订单即被确认", "Large orders", "订单总额", "高于"],
            notification: "等待审核",
        }),
});

registry.category("web_tour.tours").add("sales_credit_confirm_from_list", {
    steps: () => [
        ...stepUtils.goToAppSteps("sale.sale_menu_root", "Open the Sales app"),
        {
            content: "Orders",
            trigger: ".o_main_navbar button[data-menu-xmlid='sale.sale_order_menu']",
            run: "click",
        },
        {
            content: "Quotations",
            trigger: ".dropdown-item[data-menu-xmlid='sale.menu_sale_quotations']",
            run: "click",
        },
        {
            content: "Select the quotation of the customer over his limit",
            trigger: ".o_data_row:contains('Tour Over Limit Trading') .o_list_record_selector input",
            run: "click",
        },
        {
            content: "and the one of a customer in good standing",
            trigger: ".o_data_row:contains('Hangzhou Steel Trading') .o_list_record_selector input",
            run: "click",
        },
        { content: "Actions", trigger: ".o_cp_action_menus button:has(.fa-cog)", run: "click" },
        {
            content: "Confirm them",
            trigger: ".o-dropdown--menu .o-dropdown-item:contains('Confirm Orders')",
            run: "click",
        },
        {
            content: "The notification names the held order",
            trigger: ".o_notification:contains('on credit hold until a credit manager releases it')",
        },
        {
            content: "The list refreshes: the order in good standing is confirmed",
            trigger: `.o_data_row:contains('Hangzhou Steel Trading')
                      .o_field_cell[name='state']:contains('Sales Order')`,
        },
        {
            content: "and the other is held, still a quotation",
            trigger: `.o_data_row:contains('Tour Over Limit Trading'):has(div[name='on_credit_hold'] input:checked)
                      .o_field_cell[name='state']:contains('Quotation')`,
        },
    ],
});
