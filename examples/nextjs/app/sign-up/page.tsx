import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { AuthForm } from '@/components/auth-form';
import { currentUser } from '@/lib/session';

export const metadata: Metadata = { title: 'Create an account · Tasks' };

export default async function SignUpPage() {
  if (await currentUser()) redirect('/');
  return <AuthForm mode="sign-up" />;
}
