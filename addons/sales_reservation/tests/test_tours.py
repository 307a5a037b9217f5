from odoo.tests import HttpCase, tagged

from .test_priority_allocation import AllocationCommon


@tagged("post_install", "-at_install")
class TestReservationTours(HttpCase, AllocationCommon):
    def test_manager_allocates_from_the_shortage_list(self):
        """In Chromium, as a reservation manager: Sales > Allocation > Shortages, select, Allocate Stock, the log."""
        normal_order = self._order(self.normal, 8)
        key_order = self._order(self.key, 6)
        self.start_tour("/odoo", "sales_reservation_allocate", login=self.manager.login)
        self.assertEqual(self.reserved(key_order), 6)
        self.assertEqual(self.reserved(normal_order), 4)
